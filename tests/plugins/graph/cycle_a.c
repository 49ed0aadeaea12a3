/* cycle_a - with cycle_b and cycle_c, the cycle cycle_a -> cycle_b -> cycle_c -> cycle_a. */
#include "graph_node.h"

GRAPH_NODE("cycle_a", "cycle_a", "cycle_c")
