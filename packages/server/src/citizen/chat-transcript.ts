/** The conversation a citizen hands over with a request (转人工) from the public page's self-service answering. */

/** A turn of the conversation a citizen hands over with a request (转人工). */
export interface ChatTurn {
  from: 'citizen' | 'assistant';
  text: string;
  articleTitle?: string;
}

/** The conversation as the order's action log shows it (no article ids: titles only). */
export function transcriptNote(turns: readonly ChatTurn[]): string {
  return turns
    .map((t) =>
      t.from === 'citizen'
        ? `市民：${t.text.trim()}`
        : `智能应答${t.articleTitle ? `（知识“${t.articleTitle}”）` : ''}：${t.text.trim()}`,
    )
    .join('\n');
}
