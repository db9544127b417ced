"""The top floor (站点): what needs every domain — the demo centre, the dashboard, the navigation bar,
the front page and the developer commands. Nothing below imports it."""
