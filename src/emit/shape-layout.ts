/**
 * Shapes laid out as prettier lays them out (print width 100), so that the summary is written in
 * its final form: on one line when it fits; otherwise an object opens one member a line, a union
 * of plain types in a member breaks before each `|`, and what still does not fit is written as
 * its indexed access instead. A test holds the result to prettier's own output.
 */
import { flatText, memberHead, refText, type Member, type Shape } from "./shape.js";

export const PRINT_WIDTH = 100;

/**
 * `head`, the shape and `tail` as lines, the shape's own lines indented by `indent`; undefined
 * when neither the shape nor its indexed access fits.
 */
export function layOut(
  shape: Shape,
  indent: number,
  head: string,
  tail: string,
): string[] | undefined {
  const one = `${head}${flatText(shape)}${tail}`;
  if (one.length <= PRINT_WIDTH) return [one];
  if (shape.kind === "object") {
    const lines = [`${head}{`];
    for (const member of shape.members) {
      const laid = layOutMember(member, indent + 2);
      if (laid === undefined) return byRef(shape, head, tail);
      lines.push(...laid);
    }
    // A member that had to be referred to may have made the object short enough for one line.
    if (lines.length === shape.members.length + 1) {
      const members = lines.slice(1).map((line) => line.trim().replace(/;$/, ""));
      const joined = `${head}{ ${members.join("; ")} }${tail}`;
      if (joined.length <= PRINT_WIDTH) return [joined];
    }
    lines.push(`${" ".repeat(indent)}}${tail}`);
    return lines;
  }
  if (shape.kind === "array" && shape.element.kind === "object") {
    return layOut(shape.element, indent, head, `[]${tail}`) ?? byRef(shape, head, tail);
  }
  return byRef(shape, head, tail);
}

function layOutMember(member: Member, indent: number): string[] | undefined {
  const pad = " ".repeat(indent);
  const head = `${pad}${memberHead(member)}`;
  const { shape } = member;
  const one = `${head}${flatText(shape)};`;
  if (one.length <= PRINT_WIDTH) return [one];
  // Prettier hugs an object in a union (`{ … } | null`) rather than breaking the union: only
  // unions of plain types break here, the others are referred to.
  if (shape.kind === "union" && shape.members.every((m) => m.kind === "text")) {
    const last = shape.members.length - 1;
    const lines = [head.trimEnd()];
    shape.members.forEach((m, i) => lines.push(`${pad}  | ${flatText(m)}${i === last ? ";" : ""}`));
    if (lines.every((line) => line.length <= PRINT_WIDTH)) return lines;
    return byRef(shape, head, ";");
  }
  return layOut(shape, indent, head, ";");
}

function byRef(shape: Shape, head: string, tail: string): string[] | undefined {
  if (shape.ref === undefined) return undefined;
  const line = `${head}${refText(shape.ref)}${tail}`;
  return line.length <= PRINT_WIDTH ? [line] : undefined;
}
