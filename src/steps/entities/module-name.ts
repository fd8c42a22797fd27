/** The custom module that provides entities (its directory name under htdocs/custom, inodbox's GPL module). */
export const multicompanyModule = 'multicompany';
