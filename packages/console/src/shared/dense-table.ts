/**
 * The lists a working day runs on (工单查询, 我的工单, 警情查询, the 110 desk's incident queue, the linkage
 * queue) are dense (issue 14): every cell keeps to one line (cut with an ellipsis, never wrapped), rows are
 * compact (about 31 px, 33 px with small buttons), so at 1366×768 at least 15 rows show below the page's
 * filters and order numbers never wrap. Spread into a Table: `<Table {...DENSE_TABLE} … />`; the rules are
 * `.dense-table` in app.css.
 */
export const DENSE_TABLE = { size: 'small', className: 'dense-table', tableLayout: 'fixed' } as const;
