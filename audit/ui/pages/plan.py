"""Page script (see `audit.ui.plan`): kept thin on purpose."""

from audit.ui import plan

plan.render()
