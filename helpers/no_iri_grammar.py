"""Keep jsonschema from compiling IRI grammars that nothing here uses.

jsonschema, which nbformat, nbval, papermill and Jupyter's server import, registers its "iri"
format checkers from the rfc3987-syntax package when that package is installed (JupyterLab's
jupyter-events pulls it in), and rfc3987-syntax compiles its Lark grammars at import: about
1.5 s of CPU in every process that reads a notebook. No notebook schema, event schema or test
here checks an IRI, so the processes that run notebooks mark the package as absent before
jsonschema loads; jsonschema then registers every other format as usual.

Import this module first (the runner does), or load it as a pytest plugin
(`-p helpers.no_iri_grammar`, which pytest loads before plugins such as nbval).
"""

from __future__ import annotations

import sys

_PACKAGE = "rfc3987_syntax"


def skip_iri_grammar() -> None:
    """Make `import rfc3987_syntax` fail fast, unless something already imported it."""
    sys.modules.setdefault(_PACKAGE, None)  # None in sys.modules: import raises ImportError


skip_iri_grammar()
