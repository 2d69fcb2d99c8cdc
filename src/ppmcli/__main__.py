from ppmcli.cli import main

raise SystemExit(main())
