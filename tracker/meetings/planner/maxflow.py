"""Maximum flow (Dinic's algorithm) on a small integer network."""

from __future__ import annotations

UNBOUNDED = 1 << 60


class FlowNetwork:
    def __init__(self, node_count: int):
        self.node_count = node_count
        self.edges_of: list[list[int]] = [[] for _ in range(node_count)]
        self.head: list[int] = []  # edge -> the node it points to; edge ^ 1 is its reverse
        self.capacity: list[int] = []

    def add_edge(self, tail: int, head: int, capacity: int) -> int:
        """Add an edge and its reverse; returns the edge's number. After :meth:`max_flow` the flow
        through edge ``e`` is ``capacity[e ^ 1]``."""
        self.edges_of[tail].append(len(self.head))
        self.head.append(head)
        self.capacity.append(capacity)
        self.edges_of[head].append(len(self.head))
        self.head.append(tail)
        self.capacity.append(0)
        return len(self.head) - 2

    def max_flow(self, source: int, sink: int) -> int:
        """Paths are short here, so the recursion stays shallow."""
        flow = 0
        while self._levels(source, sink):
            self._next_edge = [0] * self.node_count
            while True:
                pushed = self._push(source, sink, UNBOUNDED)
                if not pushed:
                    break
                flow += pushed
        return flow

    def _levels(self, source: int, sink: int) -> bool:
        head, capacity, edges_of = self.head, self.capacity, self.edges_of
        level = [-1] * self.node_count
        level[source] = 0
        queue = [source]
        for node in queue:
            for edge in edges_of[node]:
                if capacity[edge] > 0 and level[head[edge]] < 0:
                    level[head[edge]] = level[node] + 1
                    queue.append(head[edge])
        self._level = level
        return level[sink] >= 0

    def _push(self, node: int, sink: int, limit: int) -> int:
        if node == sink:
            return limit
        head, capacity, edges_of = self.head, self.capacity, self.edges_of
        level, next_edge = self._level, self._next_edge
        while next_edge[node] < len(edges_of[node]):
            edge = edges_of[node][next_edge[node]]
            other = head[edge]
            if capacity[edge] > 0 and level[other] == level[node] + 1:
                pushed = self._push(other, sink, min(limit, capacity[edge]))
                if pushed:
                    capacity[edge] -= pushed
                    capacity[edge ^ 1] += pushed
                    return pushed
            next_edge[node] += 1
        return 0
