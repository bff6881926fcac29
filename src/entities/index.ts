export { RoomEntity } from './room.entity';
export { StoredFileEntity, type StoredFileStatus } from './stored-file.entity';
export { LeaseEntity } from './lease.entity';
export { DownloadTokenEntity } from './download-token.entity';
