"""Services: the use cases shared by the CLI and the web app (no UI code here)."""
