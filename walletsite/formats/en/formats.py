# Times with their zone ("4 Dec 2026, 20:03 WAT"): the back office prints Lagos time, and a
# time without its zone was read as UTC next to titles that were UTC (issue 21).
DATETIME_FORMAT = "j M Y, H:i T"
SHORT_DATETIME_FORMAT = "d/m/Y H:i T"
