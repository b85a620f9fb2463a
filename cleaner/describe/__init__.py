"""Describing a page: its site (`detect`), its metadata (`metadata`) and the white-space and
title edits that make its text one paragraph a line (`normalize`)."""
