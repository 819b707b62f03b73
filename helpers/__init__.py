"""Plumbing for the notebooks: settings, client, forms, show, errors, call_log, flow, inbox,
authenticator, fixtures, and the headless runner (run_notebooks, papermill_runs,
notebook_hygiene). The Stytch calls a lesson teaches stay in the notebooks."""
