"""Where the app's own routes live: under ``server.baseUrlPath``, beside Streamlit's own.

``st.App`` mounts the routes it is given as they are, at the server's root, while Streamlit serves
its pages under ``server.baseUrlPath`` (``/giamngheo/``, ``/giamngheo/households`` …). A route meant
for the pages is therefore built at :func:`url_prefix` + its path (``serve.py``), and the pages
reach it by a *relative* address (:func:`relative`: ``dl/<token>``, ``assets/plotly-….min.js``).
A page's address has one segment after the base path, so the relative address resolves to the
route under the same base: with no base path, with one, and behind a proxy that publishes the app
under a prefix it strips before passing the request on.
"""
from __future__ import annotations

__all__ = ["url_prefix", "relative"]


def url_prefix(base_url_path: str | None) -> str:
    """The path prefix of the routes for Streamlit's ``server.baseUrlPath`` option.

    Parameters
    ----------
    base_url_path : str or None
        The option's value as Streamlit reads it: with or without slashes, empty or None for none.

    Returns
    -------
    str
        ``""`` without a base path, else the base path with one leading slash and none at the end.

    Examples
    --------
    >>> url_prefix("giamngheo/")
    '/giamngheo'
    >>> url_prefix("/tinh/giamngheo")
    '/tinh/giamngheo'
    >>> url_prefix(None), url_prefix(""), url_prefix("/")
    ('', '', '')
    """
    base = str(base_url_path or "").strip().strip("/")
    return f"/{base}" if base else ""


def relative(path: str) -> str:
    """The address a page uses for the route at ``path`` (relative to the page, see the module).

    Parameters
    ----------
    path : str
        The route's path as built without a base path, starting with ``/``.

    Returns
    -------
    str
        ``path`` without its leading slash.

    Raises
    ------
    ValueError
        If ``path`` does not start with ``/``.

    Examples
    --------
    >>> relative("/dl/abc")
    'dl/abc'
    >>> relative("dl/abc")
    Traceback (most recent call last):
    ...
    ValueError: path: a route's path starts with '/', not 'dl/abc'
    """
    if not path.startswith("/"):
        raise ValueError(f"path: a route's path starts with '/', not {path!r}")
    return path.lstrip("/")
