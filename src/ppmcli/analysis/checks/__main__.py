"""`python -m ppmcli.analysis.checks`: print the README's rule table."""

from ppmcli.analysis.checks import rules_markdown

print(rules_markdown(), end="")
