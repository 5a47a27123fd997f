"""Page script (see `audit.ui.shopper`): kept thin on purpose."""

from audit.ui import shopper

shopper.render()
