from gvcgames.cli import main

raise SystemExit(main())
