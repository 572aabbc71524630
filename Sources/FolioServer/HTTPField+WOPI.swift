import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// WOPI header names as HTTP field names, built once.
extension HTTPField.Name {
    static let wopiOverride = Self(WOPIHeader.override)!
    static let wopiLock = Self(WOPIHeader.lock)!
    static let wopiOldLock = Self(WOPIHeader.oldLock)!
    static let wopiUrlType = Self(WOPIHeader.urlType)!
    static let wopiLockFailureReason = Self(WOPIHeader.lockFailureReason)!
    static let wopiItemVersion = Self(WOPIHeader.itemVersion)!
    static let wopiMaxExpectedSize = Self(WOPIHeader.maxExpectedSize)!
    static let wopiSuggestedTarget = Self(WOPIHeader.suggestedTarget)!
    static let wopiRelativeTarget = Self(WOPIHeader.relativeTarget)!
    static let wopiOverwriteRelativeTarget = Self(WOPIHeader.overwriteRelativeTarget)!
    static let wopiValidRelativeTarget = Self(WOPIHeader.validRelativeTarget)!
    static let wopiSize = Self(WOPIHeader.size)!
    static let wopiRequestedName = Self(WOPIHeader.requestedName)!
    static let wopiInvalidFileNameError = Self(WOPIHeader.invalidFileNameError)!
    static let wopiHostNativeFileName = Self(WOPIHeader.hostNativeFileName)!
    static let wopiFileExtensionFilterList = Self(WOPIHeader.fileExtensionFilterList)!
    static let wopiProof = Self(WOPIHeader.proof)!
    static let wopiProofOld = Self(WOPIHeader.proofOld)!
    static let wopiTimestamp = Self(WOPIHeader.timestamp)!
    static let wopiEditors = Self(WOPIHeader.editors)!
    static let wopiServerError = Self(WOPIHeader.serverError)!
    static let wopiServerVersion = Self(WOPIHeader.serverVersion)!
    static let coolModifiedByUser = Self(WOPIHeader.coolModifiedByUser)!
    static let coolAutosave = Self(WOPIHeader.coolAutosave)!
    static let coolExitSave = Self(WOPIHeader.coolExitSave)!
    static let coolTimestamp = Self(WOPIHeader.coolTimestamp)!
    static let loolModifiedByUser = Self(WOPIHeader.loolModifiedByUser)!
    static let loolAutosave = Self(WOPIHeader.loolAutosave)!
    static let loolExitSave = Self(WOPIHeader.loolExitSave)!
    static let loolTimestamp = Self(WOPIHeader.loolTimestamp)!
}
