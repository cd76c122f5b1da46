// fieldkit: behaviour shared by every page. Pages work without it.
