"""Plumbing for the notebooks: settings, client, forms, show, inbox, authenticator, fixtures,
and the headless runner (run_notebooks, notebook_hygiene). The Stytch calls a lesson teaches
stay in the notebooks."""
