import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../errors.ts';
import { IdParams, errorResponses } from '../http/schemas.ts';
import type { AttachmentRow } from './attachments.repo.ts';
import { ATTACHMENT_MAX_BYTES, type AttachmentService } from './attachments.service.ts';

export function presentAttachment(a: AttachmentRow) {
  return {
    id: a.id,
    workOrderId: a.work_order_id,
    fileName: a.file_name,
    contentType: a.content_type,
    sizeBytes: a.size_bytes,
    sha256: a.sha256,
    // A citizen's photo from the public page has no staff uploader: it is shown as the citizen's.
    uploadedBy: {
      id: a.uploaded_by,
      name: a.uploader_name ?? (a.uploader_role === 'system' ? '市民上传' : null),
      role: a.uploader_role,
      unitId: a.uploader_unit_id,
    },
    uploadedAt: a.uploaded_at.toISOString(),
    url: `/api/attachments/${a.id}`,
  };
}

const Any = Type.Unknown();

export const attachmentRoutes =
  (service: AttachmentService): FastifyPluginAsyncTypebox =>
  async (app) => {
    // The file is the request body as sent (Content-Type = the file's type); JSON keeps its own parser,
    // so a JSON body reaches the handler as an object and is refused as a type that cannot be attached.
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES }, (_req, body, done) =>
      done(null, body),
    );

    app.post(
      '/api/work-orders/:id/attachments',
      {
        bodyLimit: ATTACHMENT_MAX_BYTES,
        schema: {
          tags: ['hotline'],
          summary: '上传附件（请求体为文件本身，Content-Type 为文件类型；图片、PDF、Word、Excel，10 MB 以内）',
          params: IdParams,
          querystring: Type.Object(
            { name: Type.String({ minLength: 1, maxLength: 200, description: '文件名' }) },
            { additionalProperties: false },
          ),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body))
          throw new AppError(
            'ATTACHMENT_TYPE_NOT_ALLOWED',
            `不支持的附件类型：${req.headers['content-type'] ?? '未声明'}`,
          );
        const a = await service.upload(req.actor, req.params.id, {
          name: req.query.name,
          contentType: req.headers['content-type'] ?? '',
          data: req.body,
        });
        return reply.code(201).send(presentAttachment(a));
      },
    );

    app.get(
      '/api/work-orders/:id/attachments',
      {
        schema: {
          tags: ['hotline'],
          summary: '工单附件列表',
          params: IdParams,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => (await service.list(req.actor, req.params.id)).map(presentAttachment),
    );

    app.get(
      '/api/attachments/:id',
      {
        schema: { tags: ['hotline'], summary: '下载附件', params: IdParams },
      },
      async (req, reply) => {
        const a = await service.download(req.actor, req.params.id);
        const inline = a.content_type.startsWith('image/') || a.content_type === 'application/pdf';
        return reply
          .header('content-type', a.content_type)
          .header(
            'content-disposition',
            `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.file_name)}`,
          )
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
          .header('cache-control', 'private, max-age=3600')
          .send(a.data);
      },
    );
  };
