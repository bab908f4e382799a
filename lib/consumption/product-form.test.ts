import { describe, expect, it } from "vitest";
import { parseProductForm, productFromForm } from "./product-form";

const NODE = "7b0f4f8e-8c1e-4b7e-9d3a-1f2e3d4c5b6a";

describe("productFromForm", () => {
  it("nests fields by their path, parses the numbers and leaves blank ones out", () => {
    expect(
      productFromForm({
        nodeId: NODE,
        key: "vm",
        "priceTable.serialPrefix": "FGVM",
        "priceTable.basePoints": "",
        "priceTable.parameters.0.kind": "quantity",
        "priceTable.parameters.0.pointsPerUnit": "1.5",
        "priceTable.parameters.1.kind": "choice",
        "priceTable.parameters.1.choices.0.points": "2",
        "priceTable.parameters.1.choices.0.factor": "",
        $ACTION_ID_x: "ignored",
      }),
    ).toEqual({
      nodeId: NODE,
      key: "vm",
      priceTable: { serialPrefix: "FGVM", parameters: [{ kind: "quantity", pointsPerUnit: 1.5 }, { kind: "choice", choices: [{ points: 2 }] }] },
    });
  });

  it("closes the gap a removed item leaves", () => {
    expect(productFromForm({ "priceTable.parameters.1.kind": "choice" })).toEqual({ priceTable: { parameters: [{ kind: "choice" }] } });
  });
});

describe("parseProductForm", () => {
  const valid = {
    nodeId: NODE,
    key: "web-firewall",
    name: "Web firewall",
    "priceTable.serialPrefix": "FWBVM",
    "priceTable.basePoints": "1",
    "priceTable.parameters.0.kind": "choice",
    "priceTable.parameters.0.key": "size",
    "priceTable.parameters.0.label": "Size",
    "priceTable.parameters.0.choices.0.value": "s",
    "priceTable.parameters.0.choices.0.label": "Small",
    "priceTable.parameters.0.choices.0.points": "2",
    "priceTable.parameters.0.choices.0.factor": "",
  };

  it("gives the service's input, with the defaults of blank numbers", () => {
    const result = parseProductForm(valid);
    expect(result).toEqual({
      ok: true,
      input: {
        nodeId: NODE,
        key: "web-firewall",
        name: "Web firewall",
        priceTable: { serialPrefix: "FWBVM", basePoints: 1, parameters: [{ kind: "choice", key: "size", label: "Size", choices: [{ value: "s", label: "Small", points: 2, factor: 1 }] }] },
      },
    });
  });

  it("names each problem by its field", () => {
    const result = parseProductForm({ ...valid, "priceTable.serialPrefix": "fw", "priceTable.parameters.0.choices.0.points": "two", "priceTable.parameters.0.choices.0.label": "" });
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        "priceTable.serialPrefix": ["A serial prefix is 4 to 8 capital letters or digits."],
        "priceTable.parameters.0.choices.0.label": ["Enter a label."],
        "priceTable.parameters.0.choices.0.points": ["Enter a number."],
      },
    });
  });
});
