/**
 * How much one file an agent is told to read may cost, and the paging that keeps every such
 * file under it: a server with thousands of tools gets its catalog and summary in pages.
 *
 * Costs are estimated, not counted: no tokenizer of the agent's model is public, and the
 * generator stays free of one. Measured with o200k on this repo's catalogs and summaries, ASCII
 * text averages 3.5–4.8 characters a token; text in other scripts takes about one token a
 * character (UTF-16 code unit) or less. The estimate rounds both towards the expensive side.
 */

/** About 20k tokens is the most any file an agent is told to read may cost. */
export const PAGE_TOKENS = 16_000;

/**
 * What the root catalog may spend on listing tools itself. Past it, servers are listed with
 * their counts only: an agent then reads the one or two server catalogs it needs, which costs
 * it less than one long list of every tool.
 */
export const ROOT_INLINE_TOKENS = 5_000;

/** Tokens `text` costs an agent, estimated: a quarter a ASCII character, one for any other. */
export function estimateTokens(text: string): number {
  let other = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) other++;
  return Math.ceil((text.length - other) / 4) + other;
}

/**
 * Splits `items` (in order) into pages whose costs stay within `budget`, each page as full as
 * it can be. An item costing more than the budget alone gets a page of its own.
 */
export function paginate<T>(items: readonly T[], cost: (item: T) => number, budget: number): T[][] {
  const pages: T[][] = [];
  let page: T[] = [];
  let spent = 0;
  for (const item of items) {
    const price = cost(item);
    if (page.length > 0 && spent + price > budget) {
      pages.push(page);
      page = [];
      spent = 0;
    }
    page.push(item);
    spent += price;
  }
  if (page.length > 0 || pages.length === 0) pages.push(page);
  return pages;
}
