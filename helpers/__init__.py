"""Plumbing for the notebooks: settings, client, forms, display, inbox, authenticator, fixtures."""
