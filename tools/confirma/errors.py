import sys
import textwrap


class SetupError(Exception):
    """A problem of the machine, explained to a person in one paragraph."""

    exit_code = 2


def fail(message, code=2):
    """Print ``message`` as one wrapped paragraph on stderr and exit."""
    text = " ".join(message.split())
    print("\nconfirma: " + textwrap.fill(text, width=88) + "\n", file=sys.stderr)
    sys.exit(code)
