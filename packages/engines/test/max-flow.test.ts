import { describe, expect, it } from "vitest";
import { FlowNetwork } from "../src/patch-match/max-flow";

describe("FlowNetwork", () => {
  it("finds the maximum flow and minimum cut of the textbook network", () => {
    // Prepare: Cormen et al.'s example (v1…v4 are nodes 0…3); its maximum flow is 23.
    const network = new FlowNetwork(4);
    network.addTerminals(0, 16, 0);
    network.addTerminals(1, 13, 0);
    network.addEdge(0, 2, 12, 0);
    network.addEdge(1, 0, 4, 0);
    network.addEdge(1, 3, 14, 0);
    network.addEdge(2, 1, 9, 0);
    network.addTerminals(2, 0, 20);
    network.addEdge(3, 2, 7, 0);
    network.addTerminals(3, 0, 4);

    // Act
    const flow = network.maxFlow();

    // Assess: the cut {s, v1, v2, v4} | {v3, t} has capacity 12 + 7 + 4.
    expect(flow).toBe(23);
    expect([0, 1, 2, 3].map((node) => network.onSourceSide(node))).toEqual([true, true, false, true]);
  });

  it("handles long paths and grows its edge storage", () => {
    // Prepare: a chain of 5000 nodes with room for only two edges at first.
    const length = 5000;
    const network = new FlowNetwork(length, 2);
    network.addTerminals(0, 5, 0);
    for (let i = 0; i + 1 < length; i++) network.addEdge(i, i + 1, 3, 1);
    network.addTerminals(length - 1, 0, 10);

    // Act
    const flow = network.maxFlow();

    // Assess: the chain carries 3; only its first node stays reachable from the source.
    expect(flow).toBe(3);
    expect(network.onSourceSide(0)).toBe(true);
    expect(network.onSourceSide(1)).toBe(false);
    expect(network.onSourceSide(length - 1)).toBe(false);
  });

  it("puts every node on the source side when nothing reaches the sink", () => {
    // Prepare
    const network = new FlowNetwork(3);
    network.addTerminals(0, 4, 0);
    network.addEdge(0, 1, 2, 0);

    // Act
    const flow = network.maxFlow();

    // Assess: node 2 is unreachable from the source, so it is on the sink side.
    expect(flow).toBe(0);
    expect([0, 1, 2].map((node) => network.onSourceSide(node))).toEqual([true, true, false]);
  });
});
