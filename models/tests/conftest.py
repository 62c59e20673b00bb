"""Makes `models` importable when pytest runs from the repo root or from anywhere else.

    /usr/bin/python3 -m pytest -q models/tests
"""
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)
