#!/usr/bin/env python
from openenforce.cli import main

if __name__ == "__main__":
    main()
