/* self_reader - reads its own output table. */
#include "graph_node.h"

GRAPH_NODE("self_reader", "self_reader", "self_reader")
