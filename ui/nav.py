"""The page list of the app (menu order). Data only: app.py and the AppTest suite read it.

A page is in the menu only for a role that may use it (:data:`NEEDS`, actions of
``povlib/rules/access/roles.toml``); the others stay reachable by their URL, where the page
itself checks again and says why it will not open (``ui.auth.require``)."""
from __future__ import annotations

#: (file, url path, title key, icon). url paths are ASCII and stable (links, tests).
PAGES: list[tuple[str, str, str, str]] = [
    ("app_pages/overview.py", "overview", "app.page.overview", ":material/dashboard:"),
    ("app_pages/map.py", "map", "app.page.map", ":material/map:"),
    ("app_pages/deprivations.py", "deprivations", "app.page.deprivations", ":material/grid_view:"),
    ("app_pages/trends.py", "trends", "app.page.trends", ":material/trending_down:"),
    ("app_pages/compare.py", "compare", "app.page.compare", ":material/compare_arrows:"),
    ("app_pages/households.py", "households", "app.page.households", ":material/list_alt:"),
    ("app_pages/data.py", "data", "app.page.data", ":material/upload_file:"),
    ("app_pages/reports.py", "reports", "app.page.reports", ":material/description:"),
    ("app_pages/planning.py", "planning", "app.page.planning", ":material/savings:"),
    ("app_pages/help.py", "help", "app.page.help", ":material/help:"),
]

#: the account pages (sign in; administration), after PAGES in the menu
ACCOUNT_PAGES: list[tuple[str, str, str, str]] = [
    ("app_pages/admin.py", "admin", "app.page.admin", ":material/admin_panel_settings:"),
    ("app_pages/login.py", "login", "app.page.login", ":material/login:"),
]

#: url path -> the actions of which a role needs one to see the page in the menu
NEEDS: dict[str, tuple[str, ...]] = {"data": ("import", "undo"), "admin": ("read_audit",)}
