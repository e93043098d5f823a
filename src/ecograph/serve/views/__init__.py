"""What the pages show, computed from the graph: each module reads one part of a page."""
