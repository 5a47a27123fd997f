"""Page script (see `audit.ui.results`): kept thin on purpose."""

from audit.ui import results

results.render()
