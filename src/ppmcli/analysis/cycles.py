"""Cycles in a directed graph of ids (projects' dependencies): found by the check that reports them and by the
selections that must never take a project whose dependency waits on the project itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def cyclic_components(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The strongly connected components of `graph` (node → the nodes it points to, each a node of `graph`) that hold a
    cycle: two nodes or more, or one that points to itself.

    Iterative Tarjan, so a long dependency chain cannot exhaust the stack.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = graph[node]
            if child_index < len(children):
                work.append((node, child_index + 1))
                child = children[child_index]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return [component for component in components if len(component) > 1 or component[0] in graph[component[0]]]


def find_cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """One cycle through each strongly connected component that has one, each rotated to start at its smallest id."""
    return sorted(_cycle_from(min(component), graph, set(component)) for component in cyclic_components(graph))


def _cycle_from(start: str, graph: Mapping[str, Sequence[str]], members: set[str]) -> list[str]:
    """A shortest cycle from `start` back to itself inside one component (breadth-first, smallest ids first)."""
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node]):
                if child not in members:
                    continue
                if child == start:
                    cycle = [node]
                    while cycle[-1] != start:
                        cycle.append(parents[cycle[-1]])
                    return list(reversed(cycle))
                if child not in parents:
                    parents[child] = node
                    following.append(child)
        frontier = following
    return [start]
