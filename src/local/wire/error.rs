//! Cognito's error shapes: `__type` names the exception, `message` says what is wrong.

use std::fmt;

use crate::pool::RuleError;
use crate::pool::password::PasswordError;

/// The exceptions the store raises, named as Cognito names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    AccessDenied,
    AliasExists,
    CodeMismatch,
    EnableSoftwareTokenMfa,
    ExpiredCode,
    FeatureUnavailableInTier,
    GroupExists,
    IncompleteSignature,
    InternalError,
    InvalidLambdaResponse,
    InvalidOAuthFlow,
    InvalidParameter,
    InvalidPassword,
    InvalidSignature,
    LimitExceeded,
    MissingAuthenticationToken,
    NotAuthorized,
    PasswordResetRequired,
    PreconditionNotMet,
    RequestTooLarge,
    ResourceNotFound,
    ScopeDoesNotExist,
    Serialization,
    SoftwareTokenMfaNotFound,
    TooManyRequests,
    UnexpectedLambda,
    UnknownOperation,
    UnrecognizedClient,
    UnsupportedOperation,
    UnsupportedTokenType,
    UnsupportedUserState,
    UserLambdaValidation,
    UserNotConfirmed,
    UserNotFound,
    UsernameExists,
}

impl ErrorCode {
    pub fn name(self) -> &'static str {
        match self {
            Self::AccessDenied => "AccessDeniedException",
            Self::AliasExists => "AliasExistsException",
            Self::CodeMismatch => "CodeMismatchException",
            Self::EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
            Self::ExpiredCode => "ExpiredCodeException",
            Self::FeatureUnavailableInTier => "FeatureUnavailableInTierException",
            Self::GroupExists => "GroupExistsException",
            Self::IncompleteSignature => "IncompleteSignatureException",
            Self::InternalError => "InternalErrorException",
            Self::InvalidLambdaResponse => "InvalidLambdaResponseException",
            Self::InvalidOAuthFlow => "InvalidOAuthFlowException",
            Self::InvalidParameter => "InvalidParameterException",
            Self::InvalidPassword => "InvalidPasswordException",
            Self::InvalidSignature => "InvalidSignatureException",
            Self::LimitExceeded => "LimitExceededException",
            Self::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            Self::NotAuthorized => "NotAuthorizedException",
            Self::PasswordResetRequired => "PasswordResetRequiredException",
            Self::PreconditionNotMet => "PreconditionNotMetException",
            Self::RequestTooLarge => "RequestEntityTooLargeException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::ScopeDoesNotExist => "ScopeDoesNotExistException",
            Self::Serialization => "SerializationException",
            Self::SoftwareTokenMfaNotFound => "SoftwareTokenMFANotFoundException",
            Self::TooManyRequests => "TooManyRequestsException",
            Self::UnexpectedLambda => "UnexpectedLambdaException",
            Self::UnknownOperation => "UnknownOperationException",
            Self::UnrecognizedClient => "UnrecognizedClientException",
            Self::UnsupportedOperation => "UnsupportedOperationException",
            Self::UnsupportedTokenType => "UnsupportedTokenTypeException",
            Self::UnsupportedUserState => "UnsupportedUserStateException",
            Self::UserLambdaValidation => "UserLambdaValidationException",
            Self::UserNotConfirmed => "UserNotConfirmedException",
            Self::UserNotFound => "UserNotFoundException",
            Self::UsernameExists => "UsernameExistsException",
        }
    }

    /// HTTP status: 500 for Cognito's internal errors, 403 where AWS refuses access, 413
    /// for a body too large, 400 for everything else the caller did.
    pub fn status(self) -> u16 {
        match self {
            Self::InternalError => 500,
            Self::AccessDenied | Self::MissingAuthenticationToken => 403,
            Self::RequestTooLarge => 413,
            _ => 400,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidParameter, message)
    }

    pub fn pool_not_found(pool_id: &str) -> Self {
        Self::new(
            ErrorCode::ResourceNotFound,
            format!("User pool {pool_id} does not exist."),
        )
    }

    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotAuthorized, message)
    }

    pub fn user_not_found() -> Self {
        Self::new(ErrorCode::UserNotFound, "User does not exist.")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<RuleError> for ApiError {
    fn from(e: RuleError) -> Self {
        Self::invalid(e.to_string())
    }
}

impl From<PasswordError> for ApiError {
    fn from(e: PasswordError) -> Self {
        Self::new(ErrorCode::InvalidPassword, e.to_string())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!(error = %e, "database error");
        Self::new(ErrorCode::InternalError, format!("database error: {e}"))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        Self::new(ErrorCode::Serialization, e.to_string())
    }
}
