r"""Show text that comes from outside (a link's query parameters, an uploaded file) literally in Markdown.

``st.warning``/``st.error``/``st.caption``/``st.markdown`` render Markdown: a
value such as ``![x](https://evil.example/p.png)`` in a link parameter, or a
household ID ``[Đăng nhập](https://…)`` in an uploaded file, would otherwise
become an image fetched from the internet or a clickable link. Escape only the
interpolated value, not the message around it.

Examples
--------
>>> print(md_escape("![x](https://evil.example/p.png)").replace("\u200b", "|"))
\!\[x\]\(https\://|evil\.example/p\.png\)
>>> md_escape("Bản Nà") == "Bản Nà"
True
"""
from __future__ import annotations

import re

__all__ = ["md_escape", "plotly_escape"]

# every ASCII punctuation character Markdown, Streamlit directives (:red[..], :material/..:) or
# LaTeX ($) give a meaning to; a backslash makes each one literal (CommonMark)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&])")


# GitHub-flavoured Markdown turns bare web addresses and e-mails into links *after* escapes
# are resolved: an invisible zero-width space after "//", "www" and before "@" stops that
_AUTOLINK = re.compile(r"(?<=//)|(?<=\bwww)(?=\.)|(?=@)", re.IGNORECASE)
_ZWSP = "\u200b"


def md_escape(text) -> str:
    """``text`` as Markdown that renders as the same characters (no link, image, HTML or emphasis).

    Web addresses and e-mail addresses get an invisible zero-width space so
    that they are not turned into links.
    """
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(_ZWSP, str(text)))


def plotly_escape(text) -> str:
    """``text`` as plotly label text that draws as the same characters.

    Plotly draws a subset of HTML in its text (tick labels, legends, hover, annotations): ``<a href>``
    becomes a link, ``<b style=…>`` styled text. A unit name from an imported file goes through this
    before it reaches a figure; plotly turns the entities back into the characters.

    Examples
    --------
    >>> plotly_escape('Xã <a href="https://x.example">Bấm</a> & Co')
    'Xã &lt;a href="https://x.example"&gt;Bấm&lt;/a&gt; &amp; Co'
    >>> plotly_escape("Bản Nà")
    'Bản Nà'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
