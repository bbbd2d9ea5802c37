import { z } from 'zod';

/** A path inside a space, `/` being the space's root; `..` is refused, never resolved. */
export const spacePathSchema = z.string().max(4096);

export const fileEntrySchema = z.object({
  name: z.string(),
  /** Space-relative path, starting with `/`. */
  path: z.string(),
  type: z.enum(['file', 'folder', 'link']),
  size: z.number(),
  modifiedAt: z.string().nullable(),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

export const FOLDER_SORTS = ['name', 'type', 'size_asc', 'size_desc', 'mtime_asc', 'mtime_desc'] as const;
export const MAX_PAGE_SIZE = 1000;

export const listFolderQuerySchema = z.object({
  path: spacePathSchema.default('/'),
  skip: z.coerce.number().int().min(0).default(0),
  count: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
  sort: z.enum(FOLDER_SORTS).default('name'),
  /** Only entries whose name contains this, ignoring case. */
  filter: z.string().trim().max(255).optional(),
});

export const folderPageSchema = z.object({
  path: z.string(),
  items: z.array(fileEntrySchema),
  skip: z.number(),
  totalCount: z.number(),
});
export type FolderPage = z.infer<typeof folderPageSchema>;

export const createFolderRequestSchema = z.object({ path: spacePathSchema });

export const renameRequestSchema = z.object({
  path: spacePathSchema,
  newName: z.string().trim().min(1, 'Enter a name').max(255),
});

export const deleteRequestSchema = z
  .object({
    paths: z.array(spacePathSchema).max(1000).default([]),
    /** Instead of `paths`: every entry of this folder, as the portal reads it from the node. */
    allOf: spacePathSchema.optional(),
    /** With `allOf`: entries of that folder left out (unticked after "select all"). */
    except: z.array(spacePathSchema).max(1000).default([]),
  })
  .refine((r) => r.paths.length > 0 !== (r.allOf !== undefined) && (r.except.length === 0 || r.allOf !== undefined), {
    message: 'Choose at least one item (paths), or a whole folder (allOf), not both; `except` only with allOf',
    path: ['paths'],
  });

/** Which of these names exist in a folder, before an upload into it. */
export const nameConflictsRequestSchema = z.object({
  folder: spacePathSchema,
  names: z.array(z.string().min(1).max(1024)).min(1).max(10_000),
});

export const nameConflictSchema = z.object({
  name: z.string(),
  type: z.enum(['file', 'folder', 'link']),
  /** A free name beside it (`report (1).txt`), for "keep both". */
  freeName: z.string(),
});
export type NameConflict = z.infer<typeof nameConflictSchema>;
export const nameConflictsResponseSchema = z.object({ conflicts: z.array(nameConflictSchema) });

export const pathResultSchema = z.object({
  path: z.string(),
  ok: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export const pathResultsSchema = z.object({ results: z.array(pathResultSchema) });
export type PathResult = z.infer<typeof pathResultSchema>;
