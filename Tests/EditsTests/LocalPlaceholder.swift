// local placeholder (not committed): main adds this target folder.
