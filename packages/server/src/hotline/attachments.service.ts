/**
 * Attachments of a work order (photos of the scene, documents of the reply). The server checks the
 * declared type against the file's first bytes, so a page cannot be uploaded as a "photo".
 */
import crypto from 'node:crypto';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { findAttachmentContent, insertAttachment, listAttachments, type AttachmentRow } from './attachments.repo.ts';
import type { WorkOrderService } from './work-orders.service.ts';

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** Accepted types and the signature their content must start with. */
export const ATTACHMENT_TYPES: Record<string, number[][]> = {
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/png': [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  'image/webp': [[0x52, 0x49, 0x46, 0x46]],
  'application/pdf': [[0x25, 0x50, 0x44, 0x46, 0x2d]],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': [ZIP],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': [ZIP],
  'application/msword': [[0xd0, 0xcf, 0x11, 0xe0]],
  'application/vnd.ms-excel': [[0xd0, 0xcf, 0x11, 0xe0]],
};

const startsWith = (data: Buffer, sig: number[]) => sig.every((b, i) => data[i] === b);

export class AttachmentService {
  constructor(
    private readonly db: Db,
    private readonly workOrders: WorkOrderService,
  ) {}

  async upload(
    actor: Actor,
    workOrderId: string,
    file: { name: string; contentType: string; data: Buffer },
  ): Promise<AttachmentRow> {
    requirePermission(actor, 'work_order.attach');
    const order = await this.workOrders.getReadable(actor, workOrderId);
    if (order.status === 'archived' || order.status === 'merged')
      throw new AppError('WORK_ORDER_TRANSITION_NOT_ALLOWED', '已归档或已并单的工单不能再上传附件');
    const type = file.contentType.split(';')[0]!.trim().toLowerCase();
    const sigs = ATTACHMENT_TYPES[type];
    if (!sigs)
      throw new AppError(
        'ATTACHMENT_TYPE_NOT_ALLOWED',
        `不支持的附件类型：${type || '未声明'}（可上传 JPG、PNG、WEBP 图片，PDF、Word、Excel 文档）`,
      );
    if (file.data.length === 0) throw new AppError('ATTACHMENT_EMPTY');
    if (file.data.length > ATTACHMENT_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', '附件不能超过 10 MB');
    if (!sigs.some((s) => startsWith(file.data, s)))
      throw new AppError('ATTACHMENT_CONTENT_MISMATCH', `文件内容与声明的类型（${type}）不符`);
    const name = file.name
      .replace(/[\\/\u0000-\u001f]/g, '_')
      .trim()
      .slice(0, 200);
    if (!name) throw new AppError('VALIDATION_FAILED', '须提供文件名');
    const sha256 = crypto.createHash('sha256').update(file.data).digest('hex');
    return insertAttachment(this.db, order.id, { name, contentType: type, data: file.data, sha256 }, actor);
  }

  async list(actor: Actor, workOrderId: string): Promise<AttachmentRow[]> {
    await this.workOrders.getReadable(actor, workOrderId);
    return listAttachments(this.db, workOrderId);
  }

  async download(actor: Actor, id: string): Promise<AttachmentRow & { data: Buffer }> {
    const a = await findAttachmentContent(this.db, id);
    if (!a) throw new AppError('ATTACHMENT_NOT_FOUND');
    await this.workOrders.getReadable(actor, a.work_order_id);
    return a;
  }
}
