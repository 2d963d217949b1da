"""The API's blueprints, one per concern, all mounted under /api by `create_app`."""
