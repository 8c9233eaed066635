/** opencc-js ships no types for its dictionary modules: each is a "traditional simplified|…" string. */
declare module 'opencc-js/dict/TSCharacters' {
  const pairs: string;
  export default pairs;
}
