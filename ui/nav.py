"""The page list of the app (menu order). Data only: app.py and the AppTest suite read it."""
from __future__ import annotations

#: (file, url path, title key, icon). url paths are ASCII and stable (links, tests).
#: A page whose file does not exist yet is left out of the menu by app.py.
PAGES: list[tuple[str, str, str, str]] = [
    ("pages/overview.py", "overview", "app.page.overview", ":material/dashboard:"),
    ("pages/map.py", "map", "app.page.map", ":material/map:"),
    ("pages/deprivations.py", "deprivations", "app.page.deprivations", ":material/grid_view:"),
    ("pages/trends.py", "trends", "app.page.trends", ":material/trending_down:"),
    ("pages/households.py", "households", "app.page.households", ":material/list_alt:"),
    ("pages/data.py", "data", "app.page.data", ":material/upload_file:"),
    ("pages/reports.py", "reports", "app.page.reports", ":material/description:"),
    ("pages/planning.py", "planning", "app.page.planning", ":material/savings:"),
]
