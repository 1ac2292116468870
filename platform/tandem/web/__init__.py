"""Server-rendered pages (Jinja) and their static assets."""
