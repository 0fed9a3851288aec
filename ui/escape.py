r"""Show text that comes from outside (a link's query parameters, an uploaded file) literally in Markdown.

``st.warning``/``st.error``/``st.caption``/``st.markdown`` render Markdown: a
value such as ``![x](https://evil.example/p.png)`` in a link parameter, or a
household ID ``[Đăng nhập](https://…)`` in an uploaded file, would otherwise
become an image fetched from the internet or a clickable link. Escape only the
interpolated value, not the message around it.

Examples
--------
>>> print(md_escape("![x](https://evil.example/p.png)"))
\!\[x\]\(https\://evil\.example/p\.png\)
>>> md_escape("Bản Nà") == "Bản Nà"
True
"""
from __future__ import annotations

import re

__all__ = ["md_escape"]

# every ASCII punctuation character Markdown, Streamlit directives (:red[..], :material/..:) or
# LaTeX ($) give a meaning to; a backslash makes each one literal (CommonMark)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&])")


def md_escape(text) -> str:
    """``text`` as Markdown that renders exactly as the characters (no link, image, HTML or emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
