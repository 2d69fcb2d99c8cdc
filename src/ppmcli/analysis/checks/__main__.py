"""`python -m ppmcli.analysis.checks [MODULE]`: print the README's rule table, or one check module's table."""

import sys

from ppmcli.analysis.checks import checks_markdown, rules_markdown

print(checks_markdown(sys.argv[1]) if len(sys.argv) > 1 else rules_markdown(), end="")
