/* cycle_b - reads cycle_a. */
#include "graph_node.h"

GRAPH_NODE("cycle_b", "cycle_b", "cycle_a")
