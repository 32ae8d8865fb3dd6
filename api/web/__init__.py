"""The web pages of `dutygraph serve`: search, department, findings, document, provision.

Server-rendered HTML for legal officers and department staff, who will not
call the API.  The split follows the rest of the app: `data` asks the query
vocabulary (and queries.findings) and nothing else; `layout`, `highlight`
and the `pages_*` modules are pure functions from those answers to HTML
(every text escaped); api/routes_web.py wires them to URLs.  The assets in
static/ are served by the app itself: the pages work without internet access.
"""
