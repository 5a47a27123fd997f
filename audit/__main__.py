"""``python -m audit``: the command line (see ``audit.cli``)."""

import sys

from audit.cli import main

sys.exit(main())
