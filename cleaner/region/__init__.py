"""The content-region model: every line of a page, body or chrome, after the site's pack."""
