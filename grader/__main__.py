"""`python -m grader --api URL --app URL --username U --password P`: see grader/cli.py."""

import sys

from .cli import main

sys.exit(main())
