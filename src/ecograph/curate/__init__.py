"""Curating: adding a new source and finding the names it holds (issue 13).

Offline tools for curators: they may read the build's loader, never the server.
"""
