/* writes_calendar - writes the tests' calendar table. */
#include "graph_node.h"

GRAPH_NODE("writes_calendar", "schedule", "upstream")
