/* cycle_c - reads cycle_b. */
#include "graph_node.h"

GRAPH_NODE("cycle_c", "cycle_c", "cycle_b")
