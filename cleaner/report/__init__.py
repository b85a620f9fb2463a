"""Showing people what a cleaning did: `explain` marks every removal on the page."""
