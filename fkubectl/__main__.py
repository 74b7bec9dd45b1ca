import sys

from fkubectl.app import main

sys.exit(main())
